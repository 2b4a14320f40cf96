const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as l}from"../chunks/chunk-YZISHJCU.mjs";import"../chunks/chunk-GYGSD4ZT.mjs";import"../chunks/chunk-Y26AOD52.mjs";var f=/^##[ \t]*\[?Unreleased\]?[ \t]*$/im,h=/^\[Unreleased\]:\s*(\S+?)\/compare\/(\S+?)\.\.\.(\S+)\s*$/im;function E(d){let{text:e,version:s,date:g,tag:o,file:a}=d,$=s.replace(/[.+]/g,"\\$&");if(new RegExp(`^##\\s*\\[?${$}\\]?(\\s|$)`,"m").test(e))return e;let n=e.match(f);if(!n||n.index===void 0)throw new l(`${a} has no "## [Unreleased]" heading to release (Keep a Changelog form expected)`,{file:a});let i=e.includes(`\r
`)?`\r
`:`
`,t=e.slice(0,n.index)+`## [Unreleased]${i}${i}## [${s}] - ${g}`+e.slice(n.index+n[0].length),r=t.match(h);if(r&&r.index!==void 0){let[p,c,m]=r,x=`[Unreleased]: ${c}/compare/${o}...HEAD${i}[${s}]: ${c}/compare/${m}...${o}`;t=t.slice(0,r.index)+x+t.slice(r.index+p.length)}return t}export{E as rotateChangelog};
//# sourceMappingURL=core-changelog.mjs.map

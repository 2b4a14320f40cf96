const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as l}from"../chunks/chunk-HBG5P3CX.mjs";import"../chunks/chunk-GH5GKXME.mjs";import"../chunks/chunk-Y26AOD52.mjs";var x=/^##[ \t]*\[?Unreleased\]?[ \t]*$/im,h=/^\[Unreleased\]:\s*(\S+?)\/compare\/(\S+?)\.\.\.(\S+)\s*$/im;function E(d){let{text:e,version:r,date:g,tag:o,file:a}=d,$=r.replace(/[.+]/g,"\\$&");if(new RegExp(`^##\\s*\\[?${$}\\]?(\\s|$)`,"m").test(e))return e;let n=e.match(x);if(!n||n.index===void 0)throw new l(`${a} has no "## [Unreleased]" heading to release (Keep a Changelog form expected)`,{file:a});let i=e.includes(`\r
`)?`\r
`:`
`,t=e.slice(0,n.index)+`## [Unreleased]${i}${i}## [${r}] - ${g}`+e.slice(n.index+n[0].length),s=t.match(h);if(s&&s.index!==void 0){let[p,c,f]=s,m=`[Unreleased]: ${c}/compare/${o}...HEAD${i}[${r}]: ${c}/compare/${f}...${o}`;t=t.slice(0,s.index)+m+t.slice(s.index+p.length)}return t}export{E as rotateChangelog};
//# sourceMappingURL=core-changelog.mjs.map

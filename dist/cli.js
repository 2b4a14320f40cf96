#!/usr/bin/env node
import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{a as m,d as h}from"./chunks/chunk-JGPWDLBZ.js";import{e as l,f}from"./chunks/chunk-EWBHMNHY.js";import{a as c,b as g}from"./chunks/chunk-HYTZKKMP.js";import"./chunks/chunk-QGFZFHH7.js";var v=new Set(["json","help","debug","version"]);function $(o,r){let s=(e,n)=>{let t=Array.from({length:e.length+1},(a,u)=>[u,...Array(n.length).fill(0)]);for(let a=1;a<=n.length;a++)t[0][a]=a;for(let a=1;a<=e.length;a++)for(let u=1;u<=n.length;u++)t[a][u]=Math.min(t[a-1][u]+1,t[a][u-1]+1,t[a-1][u-1]+(e[a-1]===n[u-1]?0:1));return t[e.length][n.length]},i=r.map(e=>({c:e,d:s(o,e)})).sort((e,n)=>e.d-n.d)[0];return i&&i.d<=3?i.c:void 0}function j(o){let r={inputs:{},given:new Set,json:!1,help:!1,debug:!1,version:!1},s;for(let i=0;i<o.length;i++){let e=o[i];if(e==="-h"){r.help=!0;continue}if(!e.startsWith("--")){if(r.action===void 0){if(r.action=e,s=f(e),!s){let p=$(e,l.map(w=>w.name));throw new c(`Unknown action "${e}"${p?` (did you mean ${p}?)`:""}: run imgver --help for the list`)}continue}throw new c(`Unexpected argument "${e}": inputs are given as --name value`)}let n=e.indexOf("="),t=e.slice(2,n===-1?void 0:n);if(v.has(t)&&n===-1){r[t]=!0;continue}if(!s)throw new c(`--${t} given before the action: imgver <action> --${t} \u2026`);let a=s.inputs[t];if(!a){let p=$(t,Object.keys(s.inputs));throw new c(`Unknown input --${t} for ${s.name}${p?` (did you mean --${p}?)`:""}: see imgver ${s.name} --help`,{input:t})}let u;if(n!==-1)u=e.slice(n+1);else if(a.boolean&&(i+1>=o.length||o[i+1].startsWith("--")||!/^(true|false)$/i.test(o[i+1])))u="true";else{if(i+1>=o.length)throw new c(`--${t} needs a value`,{input:t});u=o[++i]}if(r.given.has(t)){if(!a.multiline)throw new c(`--${t} given twice; only multi-line inputs may repeat`,{input:t});r.inputs[t]+=`
${u}`}else r.inputs[t]=u;r.given.add(t)}if(s)for(let[i,e]of Object.entries(s.inputs))!(i in r.inputs)&&e.default!==void 0&&(r.inputs[i]=e.default);return r}function d(o,r,s=100){let i=o.split(/\s+/),e=[],n="";for(let t of i)n&&n.length+t.length+1>s-r?(e.push(n),n=t):n=n?`${n} ${t}`:t;return n&&e.push(n),e.join(`
`+" ".repeat(r))}function b(o){if(!o)return`imgver: versions, tags and publishes container images and Helm charts of monorepos.

Usage: imgver <action> --<input> <value> \u2026 [--json] [--debug]

Actions:
${l.map(e=>`  ${e.name.padEnd(18)}${d(e.description,20)}`).join(`
`)}

Every input of an action's action.yml is a flag of the same name; multi-line inputs take newline-separated
text or a repeated flag. --json prints one JSON object of the outputs on stdout; logs go to stderr.
Run imgver <action> --help for its inputs and outputs.
`;let r=Object.entries(o.inputs).map(([i,e])=>{let n=e.default!==void 0?` (default: ${JSON.stringify(e.default)})`:"",t=e.multiline?" (multi-line, repeatable)":e.boolean?" (boolean)":"";return`  --${i}
      ${d(e.description+t+n,6)}`}).join(`
`),s=Object.entries(o.outputs).map(([i,e])=>`  ${i}
      ${d(e.description,6)}`).join(`
`);return`imgver ${o.name}: ${o.description}

Usage: imgver ${o.name} [--<input> <value> \u2026] [--json] [--debug]

Inputs:
${r}

Outputs (stdout; --json prints them as one JSON object):
${s}
`}function S(o,r){let s={};for(let[i,e]of Object.entries(r))s[i]=o.outputs[i]?.json&&e!==""?JSON.parse(e):e;return JSON.stringify(s,null,2)}function O(o){return Object.entries(o).map(([r,s])=>s.includes(`
`)?`${r}:
${s.replace(/^/gm,"  ")}`:`${r}: ${s}`).join(`
`)}async function y(o,r=process.env){let s;try{s=j(o)}catch(n){if(g(n))return process.stderr.write(`imgver: ${n.message}
`),1;throw n}if(s.version)return process.stdout.write(`0.1.0
`),0;let i=s.action?f(s.action):void 0;if(s.help||!i)return process.stdout.write(b(i)),s.help?0:1;let e=new h(s.debug||r.RUNNER_DEBUG==="1"||r.IMGVER_DEBUG==="1");try{let t=await(await m[i.name]()).run({inputs:s.inputs,given:s.given,log:e,env:r,cwd:process.cwd(),now:new Date});return t.summary&&!s.json&&e.info(`
`+t.summary),process.stdout.write((s.json?S(i,t.outputs):O(t.outputs))+`
`),0}catch(n){if(g(n)){let t=n.file&&!n.message.startsWith(n.file)?`${n.file}${n.line?`:${n.line}`:""}: `:"";return process.stderr.write(`imgver ${i.name}: error: ${t}${n.message}
`),1}return process.stderr.write(`${n?.stack??n}
imgver ${i.name} failed unexpectedly: please report this with the output above.
`),2}}process.argv[1]&&/(?:^|[\\/])(cli\.js|imgver)$/.test(process.argv[1])&&(process.exitCode=await y(process.argv.slice(2)));export{S as formatJsonOutputs,O as formatTextOutputs,b as helpText,y as main,j as parseArgs};

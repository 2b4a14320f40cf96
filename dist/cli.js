#!/usr/bin/env node
import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{c as h}from"./chunks/chunk-YY5TFBI5.js";import{a as m}from"./chunks/chunk-D4M7KJ2L.js";import{h as l,i as d}from"./chunks/chunk-SSVK4J54.js";import{a as c,b as f}from"./chunks/chunk-HYTZKKMP.js";import"./chunks/chunk-QGFZFHH7.js";var v=new Set(["json","help","debug","version"]);function $(o,i){let s=(e,n)=>{let t=Array.from({length:e.length+1},(a,u)=>[u,...Array(n.length).fill(0)]);for(let a=1;a<=n.length;a++)t[0][a]=a;for(let a=1;a<=e.length;a++)for(let u=1;u<=n.length;u++)t[a][u]=Math.min(t[a-1][u]+1,t[a][u-1]+1,t[a-1][u-1]+(e[a-1]===n[u-1]?0:1));return t[e.length][n.length]},r=i.map(e=>({c:e,d:s(o,e)})).sort((e,n)=>e.d-n.d)[0];return r&&r.d<=3?r.c:void 0}function j(o){let i={inputs:{},given:new Set,json:!1,help:!1,debug:!1,version:!1},s;for(let r=0;r<o.length;r++){let e=o[r];if(e==="-h"){i.help=!0;continue}if(!e.startsWith("--")){if(i.action==="deploy-manifest"&&!i.given.has("command")&&s?.inputs.command){i.inputs.command=e,i.given.add("command");continue}if(i.action===void 0){if(i.action=e==="manifest"?"deploy-manifest":e,s=d(i.action),!s){let p=$(e,l.map(w=>w.name));throw new c(`Unknown action "${e}"${p?` (did you mean ${p}?)`:""}: run imgver --help for the list`)}continue}throw new c(`Unexpected argument "${e}": inputs are given as --name value`)}let n=e.indexOf("="),t=e.slice(2,n===-1?void 0:n);if(v.has(t)&&n===-1){i[t]=!0;continue}if(!s)throw new c(`--${t} given before the action: imgver <action> --${t} \u2026`);let a=s.inputs[t];if(!a){let p=$(t,Object.keys(s.inputs));throw new c(`Unknown input --${t} for ${s.name}${p?` (did you mean --${p}?)`:""}: see imgver ${s.name} --help`,{input:t})}let u;if(n!==-1)u=e.slice(n+1);else if(a.boolean&&(r+1>=o.length||o[r+1].startsWith("--")||!/^(true|false)$/i.test(o[r+1])))u="true";else{if(r+1>=o.length)throw new c(`--${t} needs a value`,{input:t});u=o[++r]}if(i.given.has(t)){if(!a.multiline)throw new c(`--${t} given twice; only multi-line inputs may repeat`,{input:t});i.inputs[t]+=`
${u}`}else i.inputs[t]=u;i.given.add(t)}if(s)for(let[r,e]of Object.entries(s.inputs))!(r in i.inputs)&&e.default!==void 0&&(i.inputs[r]=e.default);return i}function g(o,i,s=100){let r=o.split(/\s+/),e=[],n="";for(let t of r)n&&n.length+t.length+1>s-i?(e.push(n),n=t):n=n?`${n} ${t}`:t;return n&&e.push(n),e.join(`
`+" ".repeat(i))}function b(o){if(!o)return`imgver: versions, tags and publishes container images and Helm charts of monorepos.

Usage: imgver <action> --<input> <value> \u2026 [--json] [--debug]

Actions:
${l.map(e=>`  ${e.name.padEnd(18)}${g(e.description,20)}`).join(`
`)}

Every input of an action's action.yml is a flag of the same name; multi-line inputs take newline-separated
text or a repeated flag. --json prints one JSON object of the outputs on stdout; logs go to stderr.
Run imgver <action> --help for its inputs and outputs.
`;let i=Object.entries(o.inputs).map(([r,e])=>{let n=e.default!==void 0?` (default: ${JSON.stringify(e.default)})`:"",t=e.multiline?" (multi-line, repeatable)":e.boolean?" (boolean)":"";return`  --${r}
      ${g(e.description+t+n,6)}`}).join(`
`),s=Object.entries(o.outputs).map(([r,e])=>`  ${r}
      ${g(e.description,6)}`).join(`
`);return`imgver ${o.name}: ${o.description}

Usage: imgver ${o.name} [--<input> <value> \u2026] [--json] [--debug]

Inputs:
${i}

Outputs (stdout; --json prints them as one JSON object):
${s}
`}function y(o,i){let s={};for(let[r,e]of Object.entries(i))s[r]=o.outputs[r]?.json&&e!==""?JSON.parse(e):e;return JSON.stringify(s,null,2)}function S(o){return Object.entries(o).map(([i,s])=>s.includes(`
`)?`${i}:
${s.replace(/^/gm,"  ")}`:`${i}: ${s}`).join(`
`)}async function O(o,i=process.env){let s;try{s=j(o)}catch(n){if(f(n))return process.stderr.write(`imgver: ${n.message}
`),1;throw n}if(s.version)return process.stdout.write(`0.1.0
`),0;let r=s.action?d(s.action):void 0;if(s.help||!r)return process.stdout.write(b(r)),s.help?0:1;let e=new h(s.debug||i.RUNNER_DEBUG==="1"||i.IMGVER_DEBUG==="1");try{let t=await(await m[r.name]()).run({inputs:s.inputs,given:s.given,log:e,env:i,cwd:process.cwd(),now:new Date});return t.summary&&!s.json&&e.info(`
`+t.summary),process.stdout.write((s.json?y(r,t.outputs):S(t.outputs))+`
`),0}catch(n){if(f(n)){let t=n.file&&!n.message.startsWith(n.file)?`${n.file}${n.line?`:${n.line}`:""}: `:"";return process.stderr.write(`imgver ${r.name}: error: ${t}${n.message}
`),1}return process.stderr.write(`${n?.stack??n}
imgver ${r.name} failed unexpectedly: please report this with the output above.
`),2}}process.argv[1]&&/(?:^|[\\/])(cli\.js|imgver)$/.test(process.argv[1])&&(process.exitCode=await O(process.argv.slice(2)));export{y as formatJsonOutputs,S as formatTextOutputs,b as helpText,O as main,j as parseArgs};

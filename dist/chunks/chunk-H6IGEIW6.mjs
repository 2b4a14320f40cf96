const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
async function l(c,u,t){let{spawn:f}=await import("node:child_process");return new Promise((p,a)=>{let e=f(c,u,{cwd:t.cwd,env:t.env,stdio:[t.stdin===void 0?"ignore":"pipe","pipe","pipe"]}),i="",o="",s=(r,g)=>{let n=r.toString("utf8");if(g==="out"?i+=n:o+=n,t.output)for(let d of n.split(`
`))d.trim()&&t.output(d)};e.stdout.on("data",r=>s(r,"out")),e.stderr.on("data",r=>s(r,"err")),e.on("error",r=>a(t.missing(r))),e.on("close",r=>p({code:r??-1,stdout:i,stderr:o})),e.stdin&&(e.stdin.on("error",()=>{}),e.stdin.end(t.stdin))})}export{l as a};
//# sourceMappingURL=chunk-H6IGEIW6.mjs.map

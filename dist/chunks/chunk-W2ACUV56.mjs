const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
async function g(d,u,t){let{spawn:f}=await import("node:child_process");return new Promise((p,a)=>{let e=f(d,u,{cwd:t.cwd,env:t.env,stdio:["pipe","pipe","pipe"]}),n="",s="",i=(r,l)=>{let o=r.toString("utf8");if(l==="out"?n+=o:s+=o,t.output)for(let c of o.split(`
`))c.trim()&&t.output(c)};e.stdout.on("data",r=>i(r,"out")),e.stderr.on("data",r=>i(r,"err")),e.on("error",r=>a(t.missing(r))),e.on("close",r=>p({code:r??-1,stdout:n,stderr:s})),e.stdin.end(t.stdin??"")})}export{g as a};

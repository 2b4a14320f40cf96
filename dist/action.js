"use strict";var r=require("./kernel.js"),e=r.m25(),{formatOutputFile:n,readActionInputs:s,runAsAction:t}=e;t(process.argv[2]??"").then(o=>{process.exitCode=o});
//# sourceMappingURL=action.js.map

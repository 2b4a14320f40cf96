"use strict";var t=require("./kernel.js"),e=t.m26(),{readActionInputs:n,runAsAction:o}=e;o(process.argv[2]??"").then(r=>{process.exitCode=r});
//# sourceMappingURL=action.js.map

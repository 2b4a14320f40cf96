#!/usr/bin/env node
"use strict";var s=require("./kernel.js"),o=s.m27(),{PASSWORD_ENV:r,formatJsonOutputs:p,formatTextOutputs:a,helpText:m,main:t,parseArgs:n}=o;t(process.argv.slice(2)).then(e=>{process.exitCode=e});
//# sourceMappingURL=cli.js.map

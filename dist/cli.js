#!/usr/bin/env node
"use strict";var s=require("./kernel.js"),o=s.m27(),{formatJsonOutputs:r,formatTextOutputs:p,helpText:a,main:t,parseArgs:m}=o;t(process.argv.slice(2)).then(e=>{process.exitCode=e});
//# sourceMappingURL=cli.js.map

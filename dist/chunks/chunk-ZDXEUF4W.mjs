const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
var i=["application/vnd.oci.image.index.v1+json","application/vnd.oci.image.manifest.v1+json","application/vnd.docker.distribution.manifest.list.v2+json","application/vnd.docker.distribution.manifest.v2+json"];export{i as a};
//# sourceMappingURL=chunk-ZDXEUF4W.mjs.map

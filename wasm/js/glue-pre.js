// Prepended (--pre-js) inside the Emscripten glue's factory function.
//
// Emscripten 3.1.6 writes its node support for CommonJS: with -sEXPORT_ES6 and node in
// -sENVIRONMENT the glue still reads `__dirname` when it starts under node, which is a
// ReferenceError in an ES module. postguard-engine.mjs always hands the glue the compiled
// module itself (Module.instantiateWasm), so the glue never reads a file: these names only
// have to exist. In a browser or a service worker this code path does not run.
var __dirname = '.';
var require = function (name) {
  throw new Error('postguard-core: require("' + name + '") is not available in the ES module glue');
};

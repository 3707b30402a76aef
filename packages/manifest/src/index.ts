// Formats shared by the stages. Each file is owned by one area; add exports in your own file.
export * from './camera.js';
export * from './findings.js';
export * from './framing.js';
export * from './load-manifest.js';
export * from './manifest-schema.js';
export * from './parse-json-text.js';
export * from './pose-file.js';
export * from './render-meta.js';
export * from './report.js';
export * from './resolve-manifest.js';
export * from './summarize-plan.js';
export * from './trainers.js';
export * from './validate-manifest.js';
export * from './write-file-atomic.js';

/**
 * The encodings of a workspace manifest (the files a sync step copies, with sizes and digests), in
 * bytes and as text, shared by the sync step and the targets that apply it.
 */
package dev.runctl.engine.manifest;

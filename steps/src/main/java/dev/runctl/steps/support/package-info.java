/** What several step types share: file globs and SHA-256 digests. */
package dev.runctl.steps.support;

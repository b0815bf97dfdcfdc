package dev.runctl.engine.spi;

/**
 * One file of a synced tree: path relative to the tree's root with '/' separators, size,
 * modification time, POSIX mode bits (e.g. 0755), and SHA-256 of the content in lower-case hex.
 */
public record ManifestEntry(String path, long size, long modifiedMillis, int mode, String sha256) {}

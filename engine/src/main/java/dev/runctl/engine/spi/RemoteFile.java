package dev.runctl.engine.spi;

/** A file on a machine: its path relative to the workdir, size and modification time. */
public record RemoteFile(String path, long size, long modifiedMillis) {}

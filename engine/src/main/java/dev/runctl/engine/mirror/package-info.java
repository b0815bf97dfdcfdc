/**
 * Runs kept in a {@code RemoteState} besides the local state folder (the spec's {@code state:}):
 * the layout of a run there ({@link RunKeys}), the shipper that copies what a live run writes
 * ({@link Shipper}), the catch-up of a local folder that lags behind ({@link Puller}), and the lock
 * of a run across machines ({@link Lease}). Depends on {@code state} and {@code spi}; names no
 * backend.
 */
package dev.runctl.engine.mirror;

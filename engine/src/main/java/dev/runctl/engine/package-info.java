/**
 * runctl's engine: what every package shares, the root error type {@code RunctlException} with the
 * {@code ErrorCategory} that decides a failure's exit code, and time stamps ({@code Instants}). It
 * depends on no other package of runctl.
 */
package dev.runctl.engine;

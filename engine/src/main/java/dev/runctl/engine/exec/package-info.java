/**
 * Executing a plan: ordering by {@code needs}, parallelism, retries (Failsafe), timeouts,
 * cancellation, budgets and journaling of every attempt, and resume. Steps own none of these.
 */
package dev.runctl.engine.exec;

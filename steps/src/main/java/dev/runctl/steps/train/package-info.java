/**
 * {@code uses: train}: a training script started as a detached process, followed through its log
 * and checkpoints, and reattached on resume.
 */
package dev.runctl.steps.train;

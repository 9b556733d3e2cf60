/**
 * The kubelet stand-in of {@code make demo}: {@link dev.almanac.demo.local.LocalRunner} watches
 * Jobs and Deployments on the real apiserver and runs their containers as local processes, rolling
 * a Deployment one replica at a time like the real controller with {@code maxUnavailable: 0}.
 */
package dev.almanac.demo.local;

/**
 * What every pod the operator starts shares, trainer Jobs and model-server Deployments alike:
 * MLflow and S3 environment, DJL offline, restricted Pod Security settings, the writable /tmp.
 */
package dev.almanac.operator.workload;

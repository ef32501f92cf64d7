package dev.lambdagate.controlplane.model;

import dev.lambdagate.config.Endpoint;

/**
 * A resolved Lambda function: what the filter's {@code lambda} object carries.
 *
 * @param functionName as written in the Backend (name, name:alias, partial or full ARN)
 * @param arn the function's ARN when it can be built (account known), else null
 * @param endpointUrl the Backend's {@code endpointURL} as written, or null for AWS's endpoint
 * @param endpoint where Invoke goes (AWS's regional endpoint or {@code endpointURL})
 * @param functionErrorStatus the status a function error answers with, or null for the filter's
 *     default (502)
 * @param retry what the route to this backend retries, or null for no retries
 * @param responseMode {@code Streaming} for {@code InvokeWithResponseStream}, or null for the
 *     filter's default ({@code Buffered}: {@code Invoke})
 */
public record LambdaTarget(
    String functionName,
    String arn,
    String region,
    String accountId,
    String qualifier,
    String invocationMode,
    String payloadTransformMode,
    String endpointUrl,
    Endpoint endpoint,
    Integer functionErrorStatus,
    LambdaRetry retry,
    String responseMode) {}

package dev.lambdagate.controlplane.lambda;

import dev.lambdagate.controlplane.model.Credentials;
import dev.lambdagate.controlplane.model.LambdaTarget;

/**
 * One function as one Gateway's proxies call it: the Backend's Lambda target and the credentials
 * they sign with. What {@link FunctionChecks} tracks; a Backend change makes a new target, so its
 * check starts again. {@code toString} never shows a secret ({@link Credentials} redacts).
 */
public record FunctionTarget(LambdaTarget lambda, Credentials credentials) {}

package dev.lambdagate.config;

/**
 * What the filter does with a request: invoke a Lambda function ({@link LambdaBackend}), sign the
 * request for an AWS service ({@link SignBackend}), or answer with an error because the control
 * plane could not build the backend ({@link InvalidBackend}).
 */
public abstract class Backend {

  Backend() {}
}

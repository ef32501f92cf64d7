package dev.lambdagate.lambda;

import dev.lambdagate.config.PayloadTransformMode;

/** Builds the Invoke payload for a request in the configured {@link PayloadTransformMode}. */
public final class InvokePayload {

    private InvokePayload() {
    }

    /**
     * The payload: the request body itself in {@code None} mode (not copied), otherwise the
     * mode's JSON event.
     */
    public static byte[] build(PayloadTransformMode mode, HttpRequest request, EventContext context) {
        switch (mode) {
            case NONE:
                return request.body();
            case ENVOY:
                return EnvoyEvent.build(request);
            case API_GATEWAY_V1:
                return ApiGatewayV1Event.build(request, context);
            case API_GATEWAY_V2:
                return ApiGatewayV2Event.build(request, context);
            default:
                throw new IllegalArgumentException("unknown payload transform mode " + mode);
        }
    }
}

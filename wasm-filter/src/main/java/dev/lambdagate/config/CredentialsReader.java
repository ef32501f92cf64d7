package dev.lambdagate.config;

import dev.lambdagate.json.JsonObject;

/** Reads and checks a {@code credentials} object. Error messages never quote a credential value. */
final class CredentialsReader {

    private CredentialsReader() {
    }

    /**
     * @param backendRegion the region of the backend, the default STS region
     */
    static CredentialSource read(JsonObject credentials, String path, String backendRegion) throws ConfigException {
        JsonFields f = new JsonFields(credentials, path);
        boolean keys = f.isSet("accessKeyId") || f.isSet("secretAccessKey") || f.isSet("sessionToken");
        if (f.isSet("webIdentity")) {
            if (keys) {
                throw new ConfigException(path,
                        "expected either accessKeyId and secretAccessKey or webIdentity, not both");
            }
            return webIdentity(f.requiredObject("webIdentity"), f.pathOf("webIdentity"), backendRegion);
        }
        String accessKeyId = f.requiredString("accessKeyId");
        for (int i = 0; i < accessKeyId.length(); i++) {
            char c = accessKeyId.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                throw new ConfigException(f.pathOf("accessKeyId"), "must contain only letters and digits");
            }
        }
        if (accessKeyId.length() > 128) {
            throw new ConfigException(f.pathOf("accessKeyId"), "must be at most 128 characters");
        }
        String secretAccessKey = f.requiredString("secretAccessKey");
        checkPrintable(secretAccessKey, f.pathOf("secretAccessKey"));
        // An empty token (as a Kubernetes Secret with sessionToken: "" yields) means long-lived keys.
        String sessionToken = f.optionalString("sessionToken");
        if (sessionToken != null) {
            checkPrintable(sessionToken, f.pathOf("sessionToken"));
        }
        return new InlineCredentials(accessKeyId, secretAccessKey, sessionToken);
    }

    private static WebIdentityCredentials webIdentity(JsonObject o, String path, String backendRegion)
            throws ConfigException {
        JsonFields f = new JsonFields(o, path);
        String roleArn = f.requiredString("roleArn");
        if (!isRoleArn(roleArn)) {
            throw new ConfigException(f.pathOf("roleArn"),
                    "must be an IAM role ARN like arn:aws:iam::123456789012:role/name");
        }
        String token = f.requiredString("token");
        checkPrintable(token, f.pathOf("token"));
        String stsRegion = f.optionalString("stsRegion");
        if (stsRegion == null) {
            stsRegion = backendRegion;
        } else if (!AwsRegion.isValid(stsRegion)) {
            throw new ConfigException(f.pathOf("stsRegion"), "must be a region name like us-east-1");
        }
        String endpointUrl = f.optionalString("stsEndpoint");
        Endpoint stsEndpoint;
        if (endpointUrl == null) {
            stsEndpoint = AwsRegion.serviceEndpoint("sts", stsRegion);
        } else {
            try {
                stsEndpoint = Endpoint.parse(endpointUrl);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(f.pathOf("stsEndpoint"), e.getMessage());
            }
        }
        String stsCluster = f.requiredString("stsCluster");
        return new WebIdentityCredentials(roleArn, token, stsRegion, stsEndpoint, stsCluster);
    }

    /** {@code arn:<partition>:iam::<12 digits>:role/<path and name>}, 20 to 2048 characters as STS requires. */
    static boolean isRoleArn(String arn) {
        if (arn.length() < 20 || arn.length() > 2048 || !arn.startsWith("arn:aws")) {
            return false;
        }
        int partitionEnd = arn.indexOf(':', 4);
        if (partitionEnd < 0 || !arn.startsWith(":iam::", partitionEnd)) {
            return false;
        }
        int accountStart = partitionEnd + 6;
        int accountEnd = arn.indexOf(':', accountStart);
        if (accountEnd < 0 || !FunctionName.isAccountId(arn.substring(accountStart, accountEnd))) {
            return false;
        }
        return arn.startsWith("role/", accountEnd + 1) && arn.length() > accountEnd + 6;
    }

    /**
     * Secrets and tokens are printable ASCII without spaces; a stray newline or space (a common
     * copy-and-paste accident) would otherwise only show up as a signature mismatch at AWS.
     */
    private static void checkPrintable(String value, String path) throws ConfigException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                throw new ConfigException(path, "must contain only printable ASCII characters, without spaces");
            }
        }
    }
}

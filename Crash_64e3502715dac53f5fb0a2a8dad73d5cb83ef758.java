import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

public class Crash_64e3502715dac53f5fb0a2a8dad73d5cb83ef758 {
    static final String base64Bytes = String.join("", "rO0ABXNyABNqYXZhLnV0aWwuQXJyYXlMaXN0eIHSHZnHYZ0DAAFJAARzaXpleHAAAAACdwQAAAACc3IAEWphdmEubGFuZy5Cb29sZWFuzSBygNWc+u4CAAFaAAV2YWx1ZXhwAHQAByoqJTDbtXl4");

    public static void main(String[] args) throws Throwable {
        Crash_64e3502715dac53f5fb0a2a8dad73d5cb83ef758.class.getClassLoader().setDefaultAssertionStatus(true);
        try {
            Method fuzzerInitialize = dev.lambdagate.harness.fuzz.FuzzTestLauncher.class.getMethod("fuzzerInitialize");
            fuzzerInitialize.invoke(null);
        } catch (NoSuchMethodException ignored) {
            try {
                Method fuzzerInitialize = dev.lambdagate.harness.fuzz.FuzzTestLauncher.class.getMethod("fuzzerInitialize", String[].class);
                fuzzerInitialize.invoke(null, (Object) args);
            } catch (NoSuchMethodException ignored1) {
            } catch (IllegalAccessException | InvocationTargetException e) {
                e.printStackTrace();
                System.exit(1);
            }
        } catch (IllegalAccessException | InvocationTargetException e) {
            e.printStackTrace();
            System.exit(1);
        }
        com.code_intelligence.jazzer.api.CannedFuzzedDataProvider input = new com.code_intelligence.jazzer.api.CannedFuzzedDataProvider(base64Bytes);
        dev.lambdagate.harness.fuzz.FuzzTestLauncher.fuzzerTestOneInput(input);
    }
}
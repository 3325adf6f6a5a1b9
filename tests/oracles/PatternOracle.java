import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The reference the translator is checked against: java.util.regex, whole match, over UTF-16.
 * Input lines: hex UTF-16 code units of the pattern, a space, hex code units of the value
 * (either may be empty). Output: one line per input, "1" (matches) or "0".
 */
public final class PatternOracle {
    private static String decode(String hex) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 4) {
            out.append((char) Integer.parseInt(hex.substring(i, i + 4), 16));
        }
        return out.toString();
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        StringBuilder out = new StringBuilder();
        String line;
        String lastPattern = null;
        Pattern compiled = null;
        while ((line = in.readLine()) != null) {
            int space = line.indexOf(' ');
            String pattern = decode(line.substring(0, space));
            if (!pattern.equals(lastPattern)) {
                compiled = Pattern.compile(pattern);
                lastPattern = pattern;
            }
            out.append(compiled.matcher(decode(line.substring(space + 1))).matches() ? "1\n" : "0\n");
        }
        System.out.print(out);
    }
}

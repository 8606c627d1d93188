package dev.baton.hub.internal.store;

import dev.baton.protocol.Names;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;

/** Checks and prints the JDBC URLs of the hub's database. */
public final class JdbcUrls {

    /** The only scheme the hub takes besides its default SQLite file. */
    public static final String POSTGRES_PREFIX = "jdbc:postgresql:";

    private static final int MAX_URL_CHARS = 2048;
    /** {@code password=…} and {@code sslpassword=…} up to the next parameter. */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;][a-z]*password=)[^&;]*");
    /** {@code //user:password@host}, which the driver does not take but a user may write anyway. */
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/@:]*:)[^/@]*@");

    private JdbcUrls() {}

    /**
     * @throws IllegalArgumentException naming {@code field} when {@code url} is not a {@code jdbc:postgresql://} URL
     */
    public static @NotNull String checkPostgres(final @NotNull String url, final @NotNull String field) {
        if (!url.startsWith(POSTGRES_PREFIX + "//")
                || url.length() > MAX_URL_CHARS
                || url.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException(field + " must be a PostgreSQL JDBC URL such as"
                    + " jdbc:postgresql://host:5432/baton?user=baton (at most " + MAX_URL_CHARS + " characters, no"
                    + " spaces), or be left out for SQLite in the data directory, but was '"
                    + Names.printable(redact(url)) + "'");
        }
        return url;
    }

    /** {@code url} with the value of every password parameter replaced, fit for logs and messages. */
    public static @NotNull String redact(final @NotNull String url) {
        final String withoutParameter = PASSWORD_PARAMETER.matcher(url).replaceAll("$1<redacted>");
        return USER_INFO_PASSWORD.matcher(withoutParameter).replaceAll("$1<redacted>@");
    }
}

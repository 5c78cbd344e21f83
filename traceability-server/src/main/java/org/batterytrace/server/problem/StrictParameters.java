package org.batterytrace.server.problem;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

/**
 * Query and path values that do not convert are the client's mistake: 400 with what was expected,
 * not JAX-RS's default 404, and no silent {@code false} for {@code qualified=maybe}.
 */
@Provider
public class StrictParameters implements ParamConverterProvider {
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <T> ParamConverter<T> getConverter(Class<T> type, Type genericType, Annotation[] annotations) {
        String name = name(annotations);
        if (type.isEnum()) {
            Class<? extends Enum> enumType = (Class<? extends Enum>) type;
            String names = Arrays.toString(type.getEnumConstants());
            return (ParamConverter<T>) converter(value -> {
                for (Object constant : type.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equals(value)) {
                        return constant;
                    }
                }
                throw invalid(name, value, "one of " + names);
            });
        }
        if (type == Long.class || type == long.class) {
            return (ParamConverter<T>) converter(value -> number(name, value, Long::parseLong, "a whole number"));
        }
        if (type == Integer.class || type == int.class) {
            return (ParamConverter<T>) converter(value -> number(name, value, Integer::parseInt, "a whole number below 2147483648"));
        }
        if (type == Boolean.class || type == boolean.class) {
            return (ParamConverter<T>) converter(value -> switch (value.toLowerCase(Locale.ROOT)) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw invalid(name, value, "true or false");
            });
        }
        return null;
    }

    private static <T> T number(String name, String value, Function<String, T> parse, String expected) {
        try {
            return parse.apply(value.trim());
        } catch (NumberFormatException e) {
            throw invalid(name, value, expected);
        }
    }

    private static BadRequestException invalid(String name, String value, String expected) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return new BadRequestException(name + " '" + shown + "' is not " + expected);
    }

    private static String name(Annotation[] annotations) {
        for (Annotation a : annotations == null ? new Annotation[0] : annotations) {
            if (a instanceof jakarta.ws.rs.QueryParam q) {
                return "query parameter " + q.value();
            }
            if (a instanceof jakarta.ws.rs.PathParam p) {
                return "path parameter " + p.value();
            }
            if (a instanceof jakarta.ws.rs.HeaderParam h) {
                return "header " + h.value();
            }
        }
        return "parameter";
    }

    private static <T> ParamConverter<T> converter(Function<String, T> parse) {
        return new ParamConverter<>() {
            @Override
            public T fromString(String value) {
                return value == null ? null : parse.apply(value);
            }

            @Override
            public String toString(T value) {
                return value instanceof Enum<?> e ? e.name() : String.valueOf(value);
            }
        };
    }
}

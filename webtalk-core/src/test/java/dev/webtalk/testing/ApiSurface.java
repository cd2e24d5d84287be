package dev.webtalk.testing;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The public types a module's compiled classes offer, for tests that pin its API: which packages hold
 * public types, and that no public or protected signature outside {@code …internal} packages names an
 * internal type.
 */
public final class ApiSurface {
    private final List<Class<?>> publicTypes;

    private ApiSurface(List<Class<?>> publicTypes) {
        this.publicTypes = publicTypes;
    }

    /** The public top-level and member types compiled into {@code classes} (e.g. {@code target/classes}). */
    public static ApiSurface of(Path classes) throws IOException {
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                String name = classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
                name = name.substring(0, name.length() - ".class".length());
                if (name.endsWith("package-info") || name.endsWith("module-info")) {
                    continue;
                }
                try {
                    Class<?> type = Class.forName(name, false, ApiSurface.class.getClassLoader());
                    if (isVisible(type)) {
                        types.add(type);
                    }
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new AssertionError("cannot load " + name, e);
                }
            }
        }
        return new ApiSurface(types);
    }

    /** Packages with at least one public type, internal ones included, sorted. */
    public Set<String> packages() {
        Set<String> packages = new TreeSet<>();
        publicTypes.forEach(t -> packages.add(t.getPackageName()));
        return packages;
    }

    /**
     * Each public or protected member signature of a non-internal type that names an internal type, as
     * {@code Type.member: internal.Type}; empty when the API is clean.
     */
    public List<String> leaksOfInternalTypes() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : publicTypes) {
            if (isInternal(type.getPackageName())) {
                continue;
            }
            List<Type> supers = new ArrayList<>(List.of(type.getGenericInterfaces()));
            if (type.getGenericSuperclass() != null) {
                supers.add(type.getGenericSuperclass());
            }
            supers.forEach(t -> check(leaks, type, "extends", t));
            for (Field f : type.getDeclaredFields()) {
                if (visible(f.getModifiers())) {
                    check(leaks, type, f.getName(), f.getGenericType());
                }
            }
            List<Executable> members = new ArrayList<>(List.of(type.getDeclaredConstructors()));
            members.addAll(List.of(type.getDeclaredMethods()));
            for (Executable m : members) {
                if (!visible(m.getModifiers()) || m.isSynthetic()) {
                    continue;
                }
                if (m instanceof Method method) {
                    check(leaks, type, m.getName(), method.getGenericReturnType());
                }
                for (Type p : m.getGenericParameterTypes()) {
                    check(leaks, type, m.getName(), p);
                }
                for (Type e : m.getGenericExceptionTypes()) {
                    check(leaks, type, m.getName(), e);
                }
            }
        }
        return leaks;
    }

    private static void check(List<String> leaks, Class<?> owner, String member, Type type) {
        String named = type.getTypeName();
        for (String part : named.split("[<>,\\s\\[\\]?&]+")) {
            int dot = part.lastIndexOf('.');
            if (dot > 0 && isInternal(part.substring(0, dot))) {
                leaks.add(owner.getName() + "." + member + ": " + part);
            }
        }
    }

    private static boolean isVisible(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass()) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static boolean isInternal(String packageName) {
        return packageName.endsWith(".internal") || packageName.contains(".internal.");
    }
}

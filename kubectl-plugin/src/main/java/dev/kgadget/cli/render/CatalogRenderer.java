package dev.kgadget.cli.render;

import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.ParamSpec;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** {@code kgadget list}: what each gadget shows, the symptom it answers, and its parameters. */
public final class CatalogRenderer {

    public void render(List<GadgetDescriptor> gadgets, Appendable out) {
        int nameWidth = width(gadgets.stream().map(GadgetDescriptor::name).toList());
        int kindWidth = width(gadgets.stream().map(CatalogRenderer::kind).toList());
        List<ParamSpec> params = gadgets.stream().flatMap(g -> g.params().stream()).toList();
        int paramWidth = width(params, ParamSpec::name);
        int typeWidth = width(params, ParamSpec::typeHint);
        int defaultWidth = width(params, CatalogRenderer::defaultText);

        for (int i = 0; i < gadgets.size(); i++) {
            GadgetDescriptor g = gadgets.get(i);
            if (i > 0) {
                TextOut.line(out, "");
            }
            TextOut.line(out, TextOut.padRight(g.name(), nameWidth) + "  " + TextOut.padRight(kind(g), kindWidth)
                    + "  " + g.description());
            TextOut.line(out, "    symptom: " + g.symptom());
            if (g.params().isEmpty()) {
                TextOut.line(out, "    no parameters");
            }
            for (ParamSpec p : g.params()) {
                TextOut.line(out, "    -p " + TextOut.padRight(p.name(), paramWidth) + "  "
                        + TextOut.padRight(p.typeHint(), typeWidth) + "  "
                        + TextOut.padRight(defaultText(p), defaultWidth) + "  " + p.description());
            }
        }
    }

    private static String kind(GadgetDescriptor g) {
        return g.output().name().toLowerCase(Locale.ROOT);
    }

    private static String defaultText(ParamSpec p) {
        return "default " + p.defaultValue();
    }

    private static int width(List<ParamSpec> params, Function<ParamSpec, String> text) {
        return width(params.stream().map(text).toList());
    }

    private static int width(List<String> texts) {
        return texts.stream().mapToInt(String::length).max().orElse(0);
    }
}

package dev.kgadget.api.catalog;

import dev.kgadget.api.result.Column;

import java.util.List;
import java.util.Optional;

/**
 * A catalog entry: everything a client needs to offer, validate and render a gadget
 * without loading it.
 *
 * @param symptom the question of the 60-second triage routine this gadget answers
 * @param columns event gadgets: the fields of each event, in display order; empty otherwise
 */
public record GadgetDescriptor(String name, String description, String symptom, OutputKind output,
                               List<ParamSpec> params, List<Column> columns) {

    public GadgetDescriptor {
        params = List.copyOf(params);
        columns = List.copyOf(columns);
    }

    public Optional<ParamSpec> param(String paramName) {
        return params.stream().filter(p -> p.name().equals(paramName)).findFirst();
    }
}

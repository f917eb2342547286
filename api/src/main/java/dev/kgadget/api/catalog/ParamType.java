package dev.kgadget.api.catalog;

public enum ParamType {
    BOOL, INT
}

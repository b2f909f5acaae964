public enum LAPlaceholder {}

import HTTPTypes

extension HTTPFields {
    /// The field's value as `self[name]` gives it (several occurrences joined with ", ", or
    /// "; " for cookies), in one pass over the fields. `self[name]` joins through a lazy
    /// generic sequence even when the field occurs once, which is every time on the hot path.
    func value(_ name: HTTPField.Name) -> String? {
        var value: String?
        for field in self where field.name == name {
            if let earlier = value {
                value = earlier + (name == .cookie ? "; " : ", ") + field.value
            } else {
                value = field.value
            }
        }
        return value
    }
}

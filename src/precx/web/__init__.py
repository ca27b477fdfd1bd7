"""The web shell: layout, navigation, language, flash messages, error pages and static assets."""

"""Reference catalog: controlled substances and their controls, and countries."""

package main

// Tests see no default library directory, whatever is installed.
func init() { libDirs = func() []string { return nil } }

//go:build !linux

package main

// releaseStartupPages is a no-op where /proc/self/maps is not available.
func releaseStartupPages() {}

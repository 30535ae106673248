GO ?= go
PKGS := ./...

.PHONY: build test vet demo bench fuzz race purego cross

build:
	$(GO) build $(PKGS)
	$(GO) build -o bin/gobragg ./cmd/gobragg

# The test command of the README (also what CI runs).
test: vet
	$(GO) test -count=1 $(PKGS)
	CGO_ENABLED=0 $(GO) build $(PKGS)

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1)
	$(GO) vet $(PKGS)

demo:
	$(GO) run ./cmd/gobragg-demo -out gobragg-demo

# Benchmarks in benchstat format: make bench > new.txt; benchstat old.txt new.txt
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 6 ./bench/ ./asm/

race:
	CGO_ENABLED=1 $(GO) test -race -short ./core/...

GO ?= go
PKGS := ./...
FUZZTIME ?= 3s

.PHONY: build test vet demo bench fuzz-short race ci

build:
	$(GO) build $(PKGS)
	$(GO) build -o bin/gobragg ./cmd/gobragg

# The test command of the README.
test: vet
	$(GO) test -count=1 $(PKGS)
	GOBRAGG_SIMD=generic $(GO) test -count=1 ./core/ ./asm/
	$(GO) test -count=1 -tags purego ./asm/ ./core/
	CGO_ENABLED=0 $(GO) build $(PKGS)
	CGO_ENABLED=0 $(GO) vet ./cref/
	GOARCH=arm64 $(GO) build $(PKGS)

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1)
	$(GO) vet $(PKGS)
	$(GO) vet -tags purego ./asm/

# A short bounded run of every fuzz target.
fuzz-short:
	for t in FuzzReadHKL FuzzReadFdump FuzzReadColumns FuzzReadSMV FuzzReadMatrix; do \
		$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) ./core/files/ || exit 1; done
	$(GO) test -run '^$$' -fuzz '^FuzzParseArgs$$' -fuzztime $(FUZZTIME) ./core/
	$(GO) test -run '^$$' -fuzz '^FuzzDifferential$$' -fuzztime $(FUZZTIME) ./cref/
	for t in FuzzSquareLattice FuzzMillerIndices FuzzScatterLine FuzzMillerSources FuzzSolidAngles; do \
		$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) ./asm/ || exit 1; done

race:
	CGO_ENABLED=1 $(GO) test -race -short -count=1 ./core/ ./cref/

# What CI runs (.ci/run).
ci: test fuzz-short race

demo:
	$(GO) run ./cmd/gobragg-demo -out gobragg-demo

# Benchmarks in benchstat format: make bench > new.txt; benchstat old.txt new.txt
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 6 ./bench/ ./asm/

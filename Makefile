# palidoc — two commands matter: `make demo` and `make test` (see README.md).
# Both install the Debian packages that are missing (as root, or through sudo) and do
# nothing else over the network.

APT_PACKAGES := libpoppler-glib-dev libpoppler-cpp-dev libtiff-dev libopenblas-dev libxml2-dev \
	pkg-config libsqlite3-dev libjpeg-dev poppler-utils postgresql-15
SWIFT ?= swift
DEMO_OUT ?= demo-output

.PHONY: deps build test demo clean

deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" \
	    || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make: installing missing Debian packages:$$missing"; \
	  sudo=""; [ "$$(id -u)" -ne 0 ] && sudo=sudo; \
	  $$sudo apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q --no-install-recommends $$missing; \
	fi

build: deps
	$(SWIFT) build -c release --product palidoc

test: deps
	$(SWIFT) build --build-tests
	# Serial: the watcher tests measure settle times and page windows, and CPU-bound suites
	# running beside them on 2 cores starve Swift's cooperative pool enough to break them.
	$(SWIFT) test --skip-build --no-parallel

# Converts examples/ end to end. With PALIDOC_MODEL=DIR it uses that checkpoint; otherwise the
# random-weight test checkpoint, and says so (here, on the terminal and in every output).
demo: build
	@bin="$$($(SWIFT) build -c release --show-bin-path)/palidoc"; \
	model="$${PALIDOC_MODEL:-}"; \
	if [ -z "$$model" ]; then \
	  model=Tests/Fixtures/paligemma2-tiny; \
	  echo "palidoc demo: PALIDOC_MODEL is not set, so the demo runs the random-weight TEST"; \
	  echo "  checkpoint $$model: the pipeline is real, the text it writes means nothing."; \
	fi; \
	rm -rf $(DEMO_OUT); \
	echo "palidoc convert examples/ --out $(DEMO_OUT)/ --model $$model"; \
	"$$bin" convert examples/ --out $(DEMO_OUT)/ --model "$$model" && \
	echo "palidoc demo: results in $(DEMO_OUT)/ (one folder per document)"

clean:
	rm -rf .build $(DEMO_OUT)

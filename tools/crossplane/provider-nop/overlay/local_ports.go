// Added to provider-nop's cmd/provider at build time (go build -overlay; the module itself is unmodified).
// provider-nop v0.4.0 has no flags for its listeners: controller-runtime's defaults put metrics on :8080
// and the webhook server on :9443, so a second provider-nop on the same machine could not start. These
// environment variables move them, one pair of ports per control plane of the local Space.
package main

import (
	"os"
	"strconv"

	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/controller-runtime/pkg/webhook"
)

func init() {
	if addr := os.Getenv("PROVIDER_NOP_METRICS_BIND_ADDRESS"); addr != "" {
		metricsserver.DefaultBindAddress = addr
	}
	if port, err := strconv.Atoi(os.Getenv("PROVIDER_NOP_WEBHOOK_PORT")); err == nil {
		webhook.DefaultPort = port
	}
}

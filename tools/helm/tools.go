//go:build tools

// Pins the Helm CLI that Argo CD's repo-server runs to render and pull Helm charts.
package tools

import _ "helm.sh/helm/v3/cmd/helm"

{{/* Chart name (nameOverride wins). */}}
{{- define "almanac.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Prefix of every resource name: <release>-almanac, or the release name when it contains the chart name. */}}
{{- define "almanac.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "almanac.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of the operator Deployment, Service and (default) ServiceAccount. */}}
{{- define "almanac.operatorName" -}}
{{- printf "%s-operator" (include "almanac.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "almanac.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "almanac.operatorName" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "almanac.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "almanac.labels" -}}
helm.sh/chart: {{ include "almanac.chart" . }}
{{ include "almanac.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: almanac
{{- end -}}

{{/* Selector of the operator pods (stable across upgrades: never add to it). */}}
{{- define "almanac.selectorLabels" -}}
app.kubernetes.io/name: {{ include "almanac.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{/* An image reference: repository@digest when a digest is set, else repository:tag (tag defaults to appVersion). */}}
{{- define "almanac.image" -}}
{{- $img := index . 0 -}}
{{- $root := index . 1 -}}
{{- if $img.digest -}}
{{- printf "%s@%s" $img.repository $img.digest -}}
{{- else -}}
{{- printf "%s:%s" $img.repository (default $root.Chart.AppVersion $img.tag) -}}
{{- end -}}
{{- end -}}

{{/* Leader election is on when forced or when more than one replica runs. */}}
{{- define "almanac.leaderElection" -}}
{{- if or .Values.leaderElection.enabled (gt (int .Values.replicas) 1) -}}true{{- else -}}false{{- end -}}
{{- end -}}

{{- define "almanac.leaseName" -}}
{{- default (printf "%s-leader" (include "almanac.fullname" .)) .Values.leaderElection.leaseName -}}
{{- end -}}

{{/* Namespaces that get the trainer and model-server ServiceAccounts. */}}
{{- define "almanac.workloadNamespaces" -}}
{{- if .Values.watchNamespaces -}}
{{- join "," (uniq .Values.watchNamespaces) -}}
{{- else if .Values.workloadServiceAccounts.namespaces -}}
{{- join "," (uniq .Values.workloadServiceAccounts.namespaces) -}}
{{- else -}}
{{- .Release.Namespace -}}
{{- end -}}
{{- end -}}

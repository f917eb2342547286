{{- define "kgadget.labels" -}}
app.kubernetes.io/part-of: kgadget
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | quote }}
{{- end }}

{{- define "kgadget.image" -}}
{{- $img := index .root.Values.images .component -}}
{{ $img.repository }}:{{ $img.tag | default .root.Chart.AppVersion }}
{{- end }}

{{- define "kgadget.pullSecrets" -}}
{{- with .Values.images.pullSecrets }}
imagePullSecrets:
{{ toYaml . }}
{{- end }}
{{- end }}

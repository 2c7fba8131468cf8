{{/* Names, labels and the pieces every Postroom pod shares. */}}

{{- define "postroom.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "postroom.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: postroom
{{- end -}}

{{/* Selector labels of one component (a service name, or "migrate"). Call with (dict "root" $ "name" $name). */}}
{{- define "postroom.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "postroom.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "postroom.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "postroom.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* A JetStream stream name as libs/contracts subjects() makes it: <namespace>_<NAME>. Call with (dict "root" $ "stream" "MAIL"). */}}
{{- define "postroom.streamName" -}}
{{- if .root.Values.nats.namespace -}}
{{- printf "%s_%s" .root.Values.nats.namespace .stream -}}
{{- else -}}
{{- .stream -}}
{{- end -}}
{{- end -}}

{{/* The stream each stage consumes from: libs/bus streams.ts STAGES (durable = stage name). */}}
{{- /* Each stage service's durable consumers (libs/bus STAGES) and their streams; the fetcher also runs mailbox-actions. */ -}}
{{- define "postroom.stageStreams" -}}
fetcher: { fetcher: MAIL, mailbox-actions: WORK }
parser: { parser: MAIL }
classifier: { classifier: MAIL }
ticketer: { ticketer: MAIL }
attachment: { attachment: WORK }
sender: { sender: OUTBOUND }
{{- end -}}

{{- define "postroom.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ required (printf "%s: set the Secret that holds it" .name) .secret | quote }}
      key: {{ .key | quote }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end -}}

{{/*
Environment of one Postroom container. Call with
(dict "root" $ "name" "parser" "svc" $svc) for a service, or with
"svc" holding encryptionKey/blob/env for the migration Job.
*/}}
{{- define "postroom.env" -}}
{{- $v := .root.Values -}}
- name: NATS_URL
  value: {{ $v.nats.url | quote }}
- name: NATS_NAMESPACE
  value: {{ $v.nats.namespace | quote }}
{{- if .svc.database }}
{{ include "postroom.secretEnv" (dict "name" "DATABASE_URL" "secret" $v.database.existingSecret "key" $v.database.key) }}
{{- end }}
- name: LOG_LEVEL
  value: {{ $v.logLevel | quote }}
{{- with $v.stageConcurrency }}
- name: STAGE_CONCURRENCY
  value: {{ . | quote }}
{{- end }}
- name: OTEL_SERVICE_NAME
  value: {{ printf "postroom-%s" .name | quote }}
{{- with $v.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- with .svc.healthPort }}
- name: HEALTH_HOST
  value: "0.0.0.0"
- name: HEALTH_PORT
  value: {{ . | quote }}
{{- end }}
{{- if .svc.encryptionKey }}
{{ include "postroom.secretEnv" (dict "name" "ENCRYPTION_KEY" "secret" $v.encryption.existingSecret "key" $v.encryption.key) }}
{{- with $v.encryption.previousKeysKey }}
{{ include "postroom.secretEnv" (dict "name" "ENCRYPTION_PREVIOUS_KEYS" "secret" $v.encryption.existingSecret "key" . "optional" true) }}
{{- end }}
{{- end }}
{{- if .svc.blob }}
- name: BLOB_BACKEND
  value: {{ $v.blob.backend | quote }}
{{- if eq $v.blob.backend "s3" }}
- name: S3_ENDPOINT
  value: {{ required "blob.s3.endpoint is required when blob.backend is s3" $v.blob.s3.endpoint | quote }}
{{- with $v.blob.s3.port }}
- name: S3_PORT
  value: {{ . | quote }}
{{- end }}
- name: S3_USE_SSL
  value: {{ $v.blob.s3.useSSL | quote }}
- name: S3_BUCKET
  value: {{ $v.blob.s3.bucket | quote }}
- name: S3_REGION
  value: {{ $v.blob.s3.region | quote }}
{{ include "postroom.secretEnv" (dict "name" "S3_ACCESS_KEY" "secret" $v.blob.s3.existingSecret "key" $v.blob.s3.accessKeyKey) }}
{{ include "postroom.secretEnv" (dict "name" "S3_SECRET_KEY" "secret" $v.blob.s3.existingSecret "key" $v.blob.s3.secretKeyKey) }}
{{- end }}
{{- end }}
{{- with .svc.download }}
- name: ATTACHMENT_HTTP_HOST
  value: "0.0.0.0"
- name: ATTACHMENT_HTTP_PORT
  value: {{ .port | quote }}
{{- with .publicUrl }}
- name: ATTACHMENT_PUBLIC_URL
  value: {{ . | quote }}
{{- end }}
{{- if and .urlKey .urlKey.existingSecret }}
{{ include "postroom.secretEnv" (dict "name" "ATTACHMENT_URL_KEY" "secret" .urlKey.existingSecret "key" .urlKey.key) }}
{{- end }}
{{- end }}
{{- range $key, $value := merge (deepCopy (default dict .svc.env)) $v.env }}
- name: {{ $key }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/* Pod-level settings shared by the Deployments and the migration Job. */}}
{{- define "postroom.podCommon" -}}
{{- $v := .Values -}}
{{- with $v.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml $v.podSecurityContext | nindent 2 }}
{{- with $v.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: {{ $v.tmpVolume.sizeLimit }}
{{- end -}}

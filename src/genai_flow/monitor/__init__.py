"""LiveOps monitoring: the events of a window turned into figures with statuses (ok, warning,
alert), input drift against the training questions, a risk and cost summary, a dashboard, and a
retraining verdict; run as MLRun's model-monitoring application (app.py)."""

"""The notebooks shipped with jdkit: form.ipynb (the widget form) and the papermill templates."""

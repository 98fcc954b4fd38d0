;;; slicels-eglot.el --- slicels for Emacs 28+ with eglot  -*- lexical-binding: t; -*-

;; Usage: (load "path/to/slicels-eglot.el") then M-x eglot in a slice file, or
;; (add-hook 'yaml-mode-hook #'eglot-ensure) (add-hook 'js-json-mode-hook #'eglot-ensure).
;; eglot finds the project through project.el (the version-control root): open the inmanta
;; project's folder as a project.

;;; Code:
(require 'eglot)

(defvar slicels-command '("slicels" "serve")
  "Command line that starts the slicels language server.")

(dolist (mode '(yaml-mode yaml-ts-mode json-mode js-json-mode json-ts-mode))
  (add-to-list 'eglot-server-programs (cons mode slicels-command)))

(provide 'slicels-eglot)
;;; slicels-eglot.el ends here

;;; slicels-lsp-mode.el --- slicels for Emacs with lsp-mode  -*- lexical-binding: t; -*-

;; Usage: (load "path/to/slicels-lsp-mode.el") then M-x lsp in a slice file.
;; slicels runs as an add-on next to other YAML/JSON servers.

;;; Code:
(require 'lsp-mode)

(defvar slicels-command '("slicels" "serve")
  "Command line that starts the slicels language server.")

(add-to-list 'lsp-language-id-configuration '(yaml-mode . "yaml"))
(lsp-register-client
 (make-lsp-client
  :new-connection (lsp-stdio-connection (lambda () slicels-command))
  :activation-fn (lsp-activate-on "yaml" "json")
  :priority -1
  :add-on? t
  :server-id 'slicels))

(provide 'slicels-lsp-mode)
;;; slicels-lsp-mode.el ends here

;;; slicels-lsp-mode.el --- slicels for Emacs with lsp-mode  -*- lexical-binding: t; -*-

;; Usage: (load "path/to/slicels-lsp-mode.el"), then M-x lsp in a slice file, or
;; (add-hook 'yaml-mode-hook #'lsp-deferred) and the same for the JSON modes.
;;
;; slicels runs as an add-on next to other YAML/JSON servers, for the YAML and JSON files inside
;; an inmanta project only (the nearest folder with a project.yml, else the folder above
;; files/git-ops-config.yml): yaml-mode, yaml-ts-mode, json-mode, js-json-mode, json-ts-mode and
;; js-mode (Emacs 28 opens .json files in it).  Commands: `slicels-lsp-update',
;; `slicels-lsp-preview', `slicels-lsp-plan', `slicels-lsp-compile' (the project's real update
;; compile, run by the server).  The preview and the lenses that open files run
;; here (their results carry the text or the place) when lsp-mode has no window/showDocument.

;;; Code:
(require 'lsp-mode)
(require 'subr-x)

(defvar slicels-command '("slicels" "serve")
  "Command line that starts the slicels language server.")

(defvar slicels-cli-command nil
  "Command line prefix for slicels subcommands (`slicels-lsp-plan').
Nil means `slicels-command' without its last word \"serve\".")

(defconst slicels-lsp-major-modes
  '(yaml-mode yaml-ts-mode json-mode js-json-mode json-ts-mode js-mode)
  "Major modes of the buffers slicels serves (when they visit a slice file).")

(defun slicels-lsp-project-root (file)
  "The inmanta project around FILE, or nil."
  (when file
    (let ((directory (file-name-directory (expand-file-name file))))
      (if-let ((root (locate-dominating-file directory "project.yml")))
          (expand-file-name root)
        (when-let ((root (locate-dominating-file directory "files/git-ops-config.yml")))
          (expand-file-name root))))))

(defun slicels-lsp--activate-p (file-name mode)
  "Whether slicels serves FILE-NAME in MODE: YAML/JSON in an inmanta project."
  (and (memq mode slicels-lsp-major-modes)
       file-name
       (string-match-p "\\.\\(ya?ml\\|json\\)\\'" file-name)
       (slicels-lsp-project-root file-name)
       t))

(dolist (mode '(yaml-mode yaml-ts-mode))
  (add-to-list 'lsp-language-id-configuration (cons mode "yaml")))
(dolist (mode '(json-mode js-json-mode json-ts-mode))
  (add-to-list 'lsp-language-id-configuration (cons mode "json")))

(defun slicels-lsp--get (object key)
  "KEY (a string) of a JSON OBJECT as lsp-mode reads it.
A hash table, or a plist when `lsp-use-plists' is set."
  (cond ((hash-table-p object) (gethash key object))
        ((listp object) (plist-get object (intern (concat ":" key))))))

(defun slicels-lsp--show-text (name text)
  "Show TEXT in a read-only buffer named *slicels NAME*."
  (let ((buffer (get-buffer-create (format "*slicels %s*" name))))
    (with-current-buffer buffer
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert text)
        (goto-char (point-min)))
      (when (string-suffix-p ".json" name)
        (delay-mode-hooks (if (fboundp 'js-json-mode) (js-json-mode) (js-mode))))
      (setq buffer-read-only t)
      (set-buffer-modified-p nil))
    (display-buffer buffer)))

(defun slicels-lsp--preview (uri)
  "Run slicels.previewPurged for URI and show the merged view it returns."
  (let ((result (lsp-request "workspace/executeCommand"
                             (list :command "slicels.previewPurged" :arguments (vector uri)))))
    (when-let ((text (slicels-lsp--get result "text")))
      (slicels-lsp--show-text (or (slicels-lsp--get result "name") "preview.merged.json") text))))

(defun slicels-lsp--open (uri range)
  "Visit the file of URI, at the start of the LSP RANGE when there is one."
  (find-file (lsp--uri-to-path uri))
  (when range
    (goto-char (lsp--position-to-point (slicels-lsp--get range "start")))))

(defun slicels-lsp--action-handlers ()
  (let ((handlers (make-hash-table :test 'equal)))
    (puthash "slicels.previewPurged"
             (lambda (command)
               (slicels-lsp--preview (aref (slicels-lsp--get command "arguments") 0)))
             handlers)
    (puthash "slicels.openFile"
             (lambda (command)
               (let ((arguments (slicels-lsp--get command "arguments")))
                 (slicels-lsp--open (aref arguments 0) (and (> (length arguments) 1) (aref arguments 1)))))
             handlers)
    handlers))

(lsp-register-client
 (make-lsp-client
  :new-connection (lsp-stdio-connection (lambda () slicels-command))
  :activation-fn #'slicels-lsp--activate-p
  :major-modes slicels-lsp-major-modes
  :action-handlers (slicels-lsp--action-handlers)
  :priority -1
  :add-on? t
  :server-id 'slicels))

(defun slicels-lsp-update ()
  "Apply the update compile's edit (\"Run update compile\") to this slice file."
  (interactive)
  (lsp-execute-code-action-by-kind "source.slicels.update"))

(defun slicels-lsp-compile ()
  "Run the project's real update compile (inmanta) through slicels.
The server refuses while a buffer of the project has unsaved changes, reports
progress and the outcome, and re-reads what the compile changed."
  (interactive)
  (message "slicels: running the update compile (inmanta)...")
  (lsp-request-async
   "workspace/executeCommand"
   (list :command "slicels.inmantaUpdate" :arguments (vector (lsp--buffer-uri)))
   (lambda (result)
     (dolist (buffer (buffer-list))
       (with-current-buffer buffer
         (when (and buffer-file-name (not (buffer-modified-p)) (not (verify-visited-file-modtime buffer)))
           (revert-buffer t t t))))
     (when (equal (slicels-lsp--get result "status") "failed")
       (slicels-lsp--show-text "update compile output" (or (slicels-lsp--get result "output") ""))))
   :error-handler (lambda (error) (message "slicels: update compile (inmanta): %s" error))
   :mode 'detached))

(defun slicels-lsp-preview ()
  "Show the merged view of this slice after the next sync.
Purged elements are included, with `\"operation\": \"delete\"'."
  (interactive)
  (slicels-lsp--preview (lsp--buffer-uri)))

(defun slicels-lsp-plan ()
  "Show `slicels plan' for the inmanta project of this buffer."
  (interactive)
  (let* ((root (or (slicels-lsp-project-root (or buffer-file-name (expand-file-name "x" default-directory)))
                   (user-error "Not inside an inmanta project")))
         (prefix (or slicels-cli-command
                     (if (equal (car (last slicels-command)) "serve") (butlast slicels-command) slicels-command)))
         (command (append prefix (list "plan" "--no-color" "--project" (directory-file-name root)))))
    (with-temp-buffer
      (let ((status (apply #'call-process (car command) nil t nil (cdr command))))
        (unless (eq status 0)
          (insert (format "\n(slicels plan exited with status %s)\n" status)))
        (slicels-lsp--show-text "plan" (buffer-string))))))

(provide 'slicels-lsp-mode)
;;; slicels-lsp-mode.el ends here

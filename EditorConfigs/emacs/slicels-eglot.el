;;; slicels-eglot.el --- slicels for Emacs 28+ with eglot  -*- lexical-binding: t; -*-

;; Usage:
;;   (load "path/to/slicels-eglot.el")
;;   (slicels-eglot-setup)   ; start slicels in every YAML/JSON slice buffer of an inmanta project
;; or, by hand, M-x eglot in a slice file.
;;
;; slicels serves the YAML and JSON files inside an inmanta project (the nearest folder with a
;; project.yml, else the folder above files/git-ops-config.yml): yaml-mode, yaml-ts-mode,
;; json-mode, js-json-mode, json-ts-mode, and js-mode (Emacs 28 opens .json files in it). Other
;; YAML/JSON/JavaScript files keep whatever server `eglot-server-programs' gives them: slicels is
;; only put first, buffer-locally, in slice buffers.  eglot keys its servers by major mode, so
;; once slicels runs for a project, other buffers of those modes in the same project (a .js file
;; in js-mode) attach to it too; slicels ignores what is not .yaml, .yml or .json.
;;
;; Commands: `slicels-update' (the update compile's edit of this file), `slicels-preview' (the
;; merged view with the purged elements, in a read-only buffer), `slicels-plan' (slicels plan
;; for the project), `slicels-compile' (the project's real update compile, run by the server:
;; slicels.yml's compile.command, `inmanta compile' by default).  eglot has no window/showDocument: the "Preview purged elements" code
;; action and the commands that open files are run here, not by the server.

;;; Code:
(require 'eglot)
(require 'project)
(require 'subr-x)

(defvar slicels-command '("slicels" "serve")
  "Command line that starts the slicels language server.")

(defvar slicels-cli-command nil
  "Command line prefix for slicels subcommands (`slicels-plan').
Nil means `slicels-command' without its last word \"serve\".")

(defconst slicels-major-modes
  '(yaml-mode yaml-ts-mode json-mode js-json-mode json-ts-mode js-mode)
  "Major modes of the buffers slicels serves (when they visit a slice file).")

(defclass slicels-eglot-server (eglot-lsp-server) ()
  "An eglot connection to slicels.")

(defun slicels-project-root (file)
  "The inmanta project around FILE, or nil."
  (when file
    (let ((directory (file-name-directory (expand-file-name file))))
      (if-let ((root (locate-dominating-file directory "project.yml")))
          (expand-file-name root)
        (when-let ((root (locate-dominating-file directory "files/git-ops-config.yml")))
          (expand-file-name root))))))

(defun slicels-slice-file-p (file)
  "Non-nil when FILE is a YAML or JSON file inside an inmanta project."
  (and file
       (string-match-p "\\.\\(ya?ml\\|json\\)\\'" file)
       (slicels-project-root file)))

(defun slicels--server-entry ()
  "The `eglot-server-programs' entry for slicels."
  (cons (mapcar (lambda (mode)
                  (if (memq mode '(js-mode js-json-mode json-mode json-ts-mode))
                      (list mode :language-id "json")
                    (list mode :language-id "yaml")))
                slicels-major-modes)
        (cons 'slicels-eglot-server slicels-command)))

(defun slicels--project-find (directory)
  "The inmanta project around DIRECTORY, as a project.el project."
  (when-let ((root (slicels-project-root (expand-file-name "x" directory))))
    (cons 'transient root)))

;; Last: a version-control project (the usual case) wins; without one, eglot gets the inmanta
;; project instead of asking for a folder.
(add-hook 'project-find-functions #'slicels--project-find 90)

(defun slicels-eglot-prepare ()
  "Make slicels the eglot server of this buffer when it visits a slice file."
  (when (and (memq major-mode slicels-major-modes) (slicels-slice-file-p buffer-file-name))
    (setq-local eglot-server-programs (cons (slicels--server-entry) (default-value 'eglot-server-programs)))
    t))

(defun slicels-eglot-ensure ()
  "Start (or join) slicels for this buffer when it visits a slice file."
  (when (slicels-eglot-prepare)
    (eglot-ensure)))

(defun slicels-eglot-setup ()
  "Run `slicels-eglot-ensure' in every buffer of `slicels-major-modes'."
  (dolist (mode slicels-major-modes)
    (add-hook (intern (format "%s-hook" mode)) #'slicels-eglot-ensure)))

;; M-x eglot in a slice buffer whose hook did not run `slicels-eglot-prepare'.
(advice-add 'eglot--guess-contact :before
            (lambda (&rest _) (unless (local-variable-p 'eglot-server-programs) (slicels-eglot-prepare)))
            '((name . slicels-eglot-prepare)))

;;; Showing what the server returns

(defun slicels-show-text (name text)
  "Show TEXT in a read-only buffer named *slicels NAME*; return the buffer."
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
    (display-buffer buffer)
    buffer))

(defun slicels--show-preview (result)
  "Show the merged view in RESULT, slicels.previewPurged's answer."
  (when-let ((text (plist-get result :text)))
    (prog1 (slicels-show-text (or (plist-get result :name) "preview.merged.json") text)
      (message "%s: %s purged, %s created, %s updated" (plist-get result :title)
               (plist-get result :purged) (plist-get result :created) (plist-get result :updated)))))

(defun slicels--open-location (uri range)
  "Visit the file of URI, at the start of the LSP RANGE when there is one."
  (find-file (eglot--uri-to-path uri))
  (when range
    (goto-char (eglot--lsp-position-to-point (plist-get range :start)))))

(cl-defmethod eglot-execute-command ((server slicels-eglot-server) command arguments)
  "Run slicels' preview and open-file COMMAND with ARGUMENTS here.
Other commands go to SERVER."
  (pcase (format "%s" command)
    ("slicels.previewPurged"
     (slicels--show-preview (cl-call-next-method server command arguments)))
    ("slicels.openFile"
     (slicels--open-location (aref arguments 0) (and (> (length arguments) 1) (aref arguments 1))))
    (_ (cl-call-next-method))))

;; Newer eglot runs code actions' commands through `eglot-execute' instead.
(cl-defmethod eglot-execute ((server slicels-eglot-server) action)
  "Run slicels' preview and open-file commands in ACTION here; the rest on SERVER."
  (let ((command (plist-get action :command)))
    (if (and (stringp command) (member command '("slicels.previewPurged" "slicels.openFile")))
        (eglot-execute-command server (intern command) (plist-get action :arguments))
      (cl-call-next-method))))

;;; Commands

(defun slicels--server ()
  (let ((server (eglot-current-server)))
    (unless (and server (cl-typep server 'slicels-eglot-server))
      (user-error "This buffer is not managed by slicels (M-x eglot in a slice file)"))
    server))

(defun slicels-update ()
  "Apply the update compile's edit (\"Run update compile\") to this slice file."
  (interactive)
  (slicels--server)
  (eglot-code-actions (point-min) (point-max) "source.slicels.update" t))

(defun slicels-preview ()
  "Show the merged view of this slice after the next sync.
Purged elements are included, with `\"operation\": \"delete\"'."
  (interactive)
  (let ((server (slicels--server)))
    (eglot-execute-command server 'slicels.previewPurged
                           (vector (eglot--path-to-uri buffer-file-name)))))

(defun slicels-plan ()
  "Show `slicels plan' for the inmanta project of this buffer."
  (interactive)
  (let* ((root (or (slicels-project-root (or buffer-file-name (expand-file-name "x" default-directory)))
                   (user-error "Not inside an inmanta project")))
         (prefix (or slicels-cli-command
                     (if (equal (car (last slicels-command)) "serve") (butlast slicels-command) slicels-command)))
         (command (append prefix (list "plan" "--no-color" "--project" (directory-file-name root)))))
    (with-temp-buffer
      (let ((status (apply #'call-process (car command) nil t nil (cdr command))))
        (unless (eq status 0)
          (insert (format "\n(slicels plan exited with status %s)\n" status)))
        (slicels-show-text "plan" (buffer-string))))))

(defun slicels--revert-changed-buffers ()
  "Revert the unmodified buffers whose file changed on disk (after a compile)."
  (dolist (buffer (buffer-list))
    (with-current-buffer buffer
      (when (and buffer-file-name (not (buffer-modified-p)) (not (verify-visited-file-modtime buffer)))
        (revert-buffer t t t)))))

(defun slicels-compile ()
  "Run the project's real update compile (inmanta) through slicels.
The server refuses while a buffer of the project has unsaved changes, reports
progress and the outcome, and re-reads what the compile changed; changed
buffers are reverted here.  A failure's output tail is shown in *slicels
update compile output*."
  (interactive)
  (let ((server (slicels--server)))
    (message "slicels: running the update compile (inmanta)...")
    (jsonrpc-async-request
     server :workspace/executeCommand
     (list :command "slicels.inmantaUpdate" :arguments (vector (eglot--path-to-uri buffer-file-name)))
     :success-fn (lambda (result)
                   (slicels--revert-changed-buffers)
                   (when (equal (plist-get result :status) "failed")
                     (slicels-show-text "update compile output" (or (plist-get result :output) "")))
                   (message "slicels: %s" (or (plist-get result :message) "update compile done")))
     :error-fn (lambda (error)
                 (message "slicels: update compile (inmanta): %s" (plist-get error :message)))
     ;; A compile takes longer than jsonrpc's default request timeout.
     :timeout nil)))

(provide 'slicels-eglot)
;;; slicels-eglot.el ends here

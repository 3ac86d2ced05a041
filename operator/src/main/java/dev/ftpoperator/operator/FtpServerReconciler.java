package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

@ControllerConfiguration(name = "ftpserver", fieldManager = "ftp-operator")
public class FtpServerReconciler implements Reconciler<FtpServer> {
  @Override
  public UpdateControl<FtpServer> reconcile(FtpServer resource, Context<FtpServer> context) {
    return UpdateControl.noUpdate();
  }
}
